"""Pages that belong to the whole app: the home page for each role and sign-in."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from councilperf import home


@require_GET
def home_page(request):
    return render(request, "home.html", home.panels_for(request.user))


login = login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = auth_views.LogoutView.as_view()
