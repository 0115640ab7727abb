"""Forms parse and check shape; the services decide. Service refusals are shown on the
field they concern (`ApplicationError.field`)."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.http import HttpRequest

from riffhouse.accounts import services
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import client_ip
from riffhouse.core.models import RemixPolicy


class ServiceErrorMixin(forms.Form):
    def add_service_error(self, error: ApplicationError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.detail)


class SignUpForm(ServiceErrorMixin, forms.Form):
    username = forms.CharField(
        max_length=30,
        help_text="Public, shown on your work. Letters, digits, - and _.",
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    email = forms.EmailField(
        max_length=254,
        help_text="Private. We send a link to confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        strip=False,
        max_length=256,
        help_text="At least 10 characters, not a common one.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class LogInForm(ServiceErrorMixin, forms.Form):
    login = forms.CharField(
        label="Username or email",
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    password = forms.CharField(
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ConfirmationResendForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        help_text="The address you signed up with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ProfileForm(ServiceErrorMixin, forms.Form):
    display_name = forms.CharField(
        max_length=80, required=False, help_text="How your name appears in credits."
    )
    bio = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="A few lines about you and what you make.",
    )
    links = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Up to 5 web addresses, one per line: your site, portfolio, socials.",
    )
    avatar = forms.FileField(
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")
    # Not required: a form sent without it (an older page, a script) keeps the current one.
    default_remix_policy = forms.ChoiceField(
        required=False,
        choices=RemixPolicy.choices,
        initial=RemixPolicy.OPEN,
        label="Remixing of new records",
        help_text=(
            "What your new records start with; you can still choose per record. Open: anyone "
            "may build on it. Ask first: you approve each remix request. Closed: no remixes."
        ),
    )

    def clean_links(self) -> list[str]:
        return [line for line in self.cleaned_data["links"].splitlines() if line.strip()]


class AccountDeleteForm(ServiceErrorMixin, forms.Form):
    password = forms.CharField(
        strip=False,
        max_length=256,
        label="Your password",
        help_text="To be sure it is you.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(ServiceErrorMixin, forms.Form):
    name = forms.CharField(
        max_length=80, label="Token name", help_text="What will use it, e.g. “my upload script”."
    )


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form (it sends nothing for unknown addresses and says the same either
    way), with the email sent by a job instead of inside the request, within the limits per
    address and per client (`services.account_email_send`)."""

    client_ip = "unknown"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's view passes the request here; the email limits need its client address.
        request: HttpRequest | None = kwargs.get("request")
        if request is not None:
            self.client_ip = client_ip(request)
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The view names its templates `<name>.txt` and `<name>_subject.txt`, the convention
        # email_enqueue renders.
        services.account_email_send(
            to=to_email,
            template=email_template_name.removesuffix(".txt"),
            context=context,
            ip=self.client_ip,
        )
