"""Pages that belong to the whole app: the home page for each role and sign-in."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from core import panels
from organisation import sso, sso_allauth


@require_GET
def home_page(request):
    return render(request, "home.html", panels.home.context_for(request.user))


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """Sign in with the council's identity provider (when set up) and, where allowed, a password."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        config = sso.sso_settings()
        context["sso"] = config
        context["local_passwords"] = sso.local_passwords_allowed()
        if config is not None:
            context["sso_url"] = reverse("openid_connect_login", kwargs={"provider_id": sso.PROVIDER_ID})
        return context

    def post(self, request, *args, **kwargs):
        if not sso.local_passwords_allowed():
            # The form is not offered; a hand-made post gets the page again with a message, not a sign-in.
            context = self.get_context_data(form=self.form_class(request), passwords_refused=True)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Sign out; after an SSO sign-in, go on to the provider so its session ends too."""

    def post(self, request, *args, **kwargs):
        self.provider_sign_out = sso_allauth.provider_sign_out_url(request)  # before the session goes
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        return self.provider_sign_out or super().get_success_url()


login = SignInView.as_view()
logout = SignOutView.as_view()
