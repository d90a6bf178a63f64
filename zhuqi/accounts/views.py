from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own view (the old password asked again, the rules applied, this session kept and the others
    ended by the changed session hash), audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("workbench")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, event=AuditEvent.PASSWORD_CHANGE, obj=self.request.user)
        messages.success(self.request, _("Password changed."))
        return response
