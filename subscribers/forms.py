from django import forms

from episodes.models import Show

from .models import Subscriber

MAX_CSV_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    show = forms.ModelChoiceField(queryset=Show.objects.order_by("title"))
    file = forms.FileField(
        label="CSV file",
        help_text="Columns email,name,expires (a date like 2027-01-31; empty: until revoked). "
        "A first line naming the columns is skipped.",
    )
    send_links = forms.BooleanField(
        required=False, label="Email each new subscriber the link to their page"
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file is over 5 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: save it as CSV UTF-8 and try again."
            ) from None


class SubscriberForm(forms.ModelForm):
    """The admin's form: one subscriber per show and email, whatever the letter case."""

    class Meta:
        model = Subscriber
        fields = ["show", "name", "email", "expires_at", "external_id"]

    def clean(self) -> dict:
        cleaned = super().clean()
        show, email = cleaned.get("show"), cleaned.get("email")
        if show and email:
            same = Subscriber.objects.filter(show=show, email__iexact=email)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "email",
                    f"{email} is already a subscriber of {show.slug}: find them in the list "
                    "(a revoked one: open it and choose Bring back; it gets a new feed URL).",
                )
        return cleaned
