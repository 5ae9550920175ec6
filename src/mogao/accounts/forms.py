"""Forms of reader accounts (#15): sign-up (with its honeypot), profile and account deletion."""

from __future__ import annotations

import unicodedata
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mogao.accounts.models import Profile

#: Languages a reader may say they read (BCP 47 tag, name in that language).
READ_LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("fr", "Français"),
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
    ("lzh", "文言"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("de", "Deutsch"),
    ("ru", "Русский"),
    ("bo", "བོད་ཡིག"),
    ("sa", "संस्कृतम्"),
]
LANGUAGE_TAGS = {tag for tag, _name in READ_LANGUAGES}


def refuse_controls(value: str) -> str:
    """Strip surrounding blanks; refuse control and bidirectional-formatting characters
    (a name that reverses the text around it, or hides characters, is not a name)."""
    value = value.strip()
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"} for ch in value):
        raise forms.ValidationError(_("Control and text-direction characters are not allowed in a name."),
                                    code="controls")
    return value


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; its honeypot field (``ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD``) is named
    for assistive technology, kept out of the tab order and off screen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trap = self.fields.get(settings.ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD)
        if trap is not None:
            trap.widget.attrs.update({
                "aria-label": str(_("Leave this field empty")), "class": "hp-field", "autocomplete": "off",
            })


class ProfileForm(forms.ModelForm):
    """What a reader tells Mogao about themselves."""

    languages = forms.MultipleChoiceField(
        label=_("Languages you read"), choices=READ_LANGUAGES, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Comments and annotations in other languages get reading help."),
    )

    class Meta:
        model = Profile
        fields = ["display_name", "languages", "recommendations"]
        help_texts = {"display_name": _("Shown beside what you write; leave empty to show your user name.")}
        labels = {"recommendations": _("Show recommendations based on what I saved and reacted to")}

    def clean_display_name(self) -> str:
        return refuse_controls(self.cleaned_data.get("display_name") or "")

    def clean_languages(self) -> list[str]:
        return [tag for tag in self.cleaned_data.get("languages") or [] if tag in LANGUAGE_TAGS]


class DeleteAccountForm(forms.Form):
    """Delete one's own account: what becomes of the contributions, and the password to confirm."""

    ANONYMISE = "anonymise"
    REMOVE = "remove"

    contributions = forms.ChoiceField(
        label=_("What becomes of what you wrote"), widget=forms.RadioSelect,
        choices=[
            (ANONYMISE, _("Keep my public and group contributions without my name (anonymised)")),
            (REMOVE, _("Remove all my contributions")),
        ],
    )
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password") or ""
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="password")
        return password
