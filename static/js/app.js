// Starts GOV.UK Frontend's components; kept out of the page so the CSP can forbid inline script.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
if (window.GOVUKFrontend) {
  window.GOVUKFrontend.initAll();
}
