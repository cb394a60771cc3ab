"""The editors' side of subscribers: list, add, revoke, bring back, new URLs, links, CSV import."""

import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from . import links, services
from .forms import ImportForm, SubscriberForm
from .importing import import_csv
from .models import Subscriber

STATES = {"active": "Active", "expired": "Expired", "revoked": "Revoked"}
NOTHING_TO_BRING_BACK = "None of them is revoked: nothing to bring back."
SHARING_DAYS = 30  # how far back the busiest day is looked for
# What the "Are you sure?" page says before revoking or regenerating.
CONFIRMATIONS = {
    "revoke": {
        "title": "Revoke subscribers",
        "question": "Are you sure you want to revoke these subscribers?",
        "consequence": "Their personal feed URLs stop working at once: the feed answers "
        "410 Gone and its audio 403 in every app that has it. Bringing one back later "
        "gives them a new feed URL.",
        "button": "Yes, revoke",
    },
    "regenerate": {
        "title": "Regenerate feed URLs",
        "question": "Are you sure you want new feed URLs for these subscribers?",
        "consequence": "Their current personal feed URLs stop working at once, in every "
        "app that has them: each subscriber must add the new URL (email them the link to "
        "their page).",
        "button": "Yes, make new URLs",
    },
    "reinstate": {
        "title": "Bring back subscribers",
        "question": "Are you sure you want to bring back these revoked subscribers?",
        "consequence": "Each gets a new personal feed URL and is emailed the link to their "
        "page, where it is; the URL they had before stays dead, in case it leaked. Their "
        "feed and premium audio answer again at the new URL.",
        "button": "Yes, bring them back",
        "benign": True,  # not a deletion: the button is not red
    },
}


def with_downloads(queryset: QuerySet) -> QuerySet:
    """Subscribers with their downloads to date and their busiest day's listener keys (30 days)."""
    recent = Q(days__day__gte=timezone.now().date() - dt.timedelta(days=SHARING_DAYS))
    return queryset.annotate(
        downloads=Sum("days__downloads", default=0),
        peak_listeners=Max("days__listeners", filter=recent, default=0),
    )


class SharingFilter(admin.SimpleListFilter):
    title = "sharing"
    parameter_name = "shared"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", f"Flagged as shared (last {SHARING_DAYS} days)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        limit = settings.PODCAST_SUBSCRIBER_SHARING_KEYS
        return queryset.filter(peak_listeners__gt=limit) if self.value() == "yes" else queryset


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return list(STATES.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        chosen = {"active": queryset.active, "expired": queryset.expired}
        if self.value() == "revoked":
            return queryset.revoked()
        return chosen[self.value()]() if self.value() in chosen else queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberForm
    # Short columns, the sharing flag early: the list fits beside the admin's sidebar.
    list_display = ["email", "name", "show", "state", "sharing", "downloads", "created", "expires"]
    list_filter = [StateFilter, SharingFilter, "show", "source"]
    search_fields = ["email", "name", "external_id"]
    list_select_related = ["show"]
    date_hierarchy = "created_at"
    fields = ["show", "name", "email", "expires_at", "external_id"]
    readonly_fields = [
        "state", "feed_url", "downloads", "sharing", "source", "created_at", "revoked_at",
    ]  # fmt: skip
    actions = ["send_link", "revoke", "regenerate", "reinstate"]
    change_form_template = "subscribers/admin/change_form.html"
    change_list_template = "subscribers/admin/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_downloads(super().get_queryset(request))

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Subscriber, form, change: bool) -> None:
        if not change:
            obj.source = "admin"
        super().save_model(request, obj, form, change)

    @admin.display(description="state")
    def state(self, subscriber: Subscriber) -> str:
        return STATES[subscriber.state()]

    @admin.display(description="created", ordering="created_at")
    def created(self, subscriber: Subscriber) -> str:
        return f"{timezone.localtime(subscriber.created_at):%Y-%m-%d}"

    @admin.display(description="expires", ordering="expires_at")
    def expires(self, subscriber: Subscriber) -> str:
        when = subscriber.expires_at
        return f"{timezone.localtime(when):%Y-%m-%d}" if when else "-"

    @admin.display(description="downloads", ordering="downloads")
    def downloads(self, subscriber: Subscriber) -> int:
        return subscriber.downloads

    @admin.display(description="listeners/day", ordering="peak_listeners")
    def sharing(self, subscriber: Subscriber) -> str:
        """The most listener keys on one day of the last 30; flagged over the threshold."""
        peak, limit = subscriber.peak_listeners, settings.PODCAST_SUBSCRIBER_SHARING_KEYS
        if peak > limit:
            return format_html(
                '<span class="flagged" title="More than {} listener keys on one day: '
                'the feed URL is probably shared">Shared? {}</span>',
                limit,
                peak,
            )
        return str(peak or "-")

    @admin.display(description="personal feed URL")
    def feed_url(self, subscriber: Subscriber) -> str:
        return format_html(
            '<code class="personal-feed">{}</code><div class="help">Only for this subscriber: '
            "an app that has it gets every episode, premium ones included.</div>",
            links.personal_feed_url(subscriber),
        )

    # ------------------------------------------------------------ actions

    @admin.action(description="Email the selected subscribers the link to their page")
    def send_link(self, request: HttpRequest, queryset: QuerySet) -> None:
        active = list(queryset.active().select_related("show"))
        sent, failed = services.send_links(subscribers=active)
        self.message_user(request, f"Sent {sent} link emails.")
        if skipped := queryset.count() - len(active):
            self.message_user(
                request, f"{skipped} not active (revoked or expired): no email.", messages.WARNING
            )
        if failed:
            self.message_user(request, f"{failed} could not be sent (see the log).", messages.ERROR)

    @admin.action(description="Revoke the selected subscribers (their feeds stop at once)")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        subscribers = list(queryset.filter(revoked_at__isnull=True).select_related("show"))
        if not subscribers:
            self.message_user(
                request, "None of them is active: nothing to revoke.", messages.WARNING
            )
            return None
        return self.confirmed_action(request, "revoke", subscribers)

    @admin.action(description="Regenerate the selected subscribers' feed URLs")
    def regenerate(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.confirmed_action(request, "regenerate", list(queryset.select_related("show")))

    @admin.action(description="Bring back the selected revoked subscribers (new feed URLs)")
    def reinstate(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        subscribers = list(queryset.revoked().select_related("show"))
        if not subscribers:
            self.message_user(request, NOTHING_TO_BRING_BACK, messages.WARNING)
            return None
        return self.confirmed_action(request, "reinstate", subscribers)

    def confirmed_action(
        self, request: HttpRequest, what: str, subscribers: list
    ) -> HttpResponse | None:
        """Django's "Are you sure?": the list of who is affected first, the change on "yes"."""
        if request.POST.get("post") != "yes":
            back = reverse("admin:subscribers_subscriber_changelist")
            return self.confirmation(request, what, subscribers, back=back, action=what)
        self.act(request, what, subscribers)
        return None

    def confirmation(
        self, request: HttpRequest, what: str, subscribers: list, **form
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            **CONFIRMATIONS[what],
            "opts": self.model._meta,
            "subscribers": subscribers,
            "selected": [subscriber.pk for subscriber in subscribers] if form.get("action") else [],
            **form,
        }
        return TemplateResponse(request, "subscribers/admin/confirm.html", context)

    def act(self, request: HttpRequest, what: str, subscribers: list) -> None:
        if what == "reinstate":
            self.bring_back(request, subscribers)
            return
        if what == "revoke":
            for subscriber in subscribers:
                subscriber.revoke()
            self.message_user(
                request, f"Revoked {len(subscribers)}: their personal feeds and audio stop now."
            )
            return
        for subscriber in subscribers:
            subscriber.regenerate()
        if len(subscribers) == 1:
            self.message_user(
                request,
                format_html(
                    "The new personal feed URL (the old one no longer works): <code>{}</code>",
                    links.personal_feed_url(subscribers[0]),
                ),
            )
            return
        self.message_user(
            request,
            f"New feed URLs for {len(subscribers)} subscribers; their old URLs no longer work. "
            "Email them their links so they can add the new one.",
        )

    def bring_back(self, request: HttpRequest, subscribers: list) -> None:
        """Revoked subscribers active again, each with a new URL and an email saying where."""
        back = [subscriber for subscriber in subscribers if subscriber.reactivate()]
        if not back:
            self.message_user(request, NOTHING_TO_BRING_BACK, messages.WARNING)
            return
        for subscriber in back:
            subscriber.save()
        sent, failed = services.send_links(subscribers=back)
        self.message_user(
            request,
            f"Brought back {len(back)}, each with a new personal feed URL (the old ones stay "
            f"dead); emailed {sent} the link to their page.",
        )
        if failed:
            self.message_user(
                request,
                f"{failed} could not be emailed (see the log): send their links again.",
                messages.ERROR,
            )

    # ------------------------------------------------------------ buttons and import

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="subscribers_subscriber_import"),
            path("<int:pk>/do/<str:what>/", view(self.button_view), name="subscribers_button"),
            *super().get_urls(),
        ]

    def button_view(self, request: HttpRequest, pk: int, what: str) -> HttpResponse:
        """The change page's buttons: revoke and regenerate ask first, send-link is a POST."""
        subscriber = get_object_or_404(Subscriber.objects.select_related("show"), pk=pk)
        if what not in (*CONFIRMATIONS, "send-link"):
            return HttpResponse(status=404)
        if not self.has_change_permission(request, subscriber):
            return HttpResponse(status=403)
        back = reverse("admin:subscribers_subscriber_change", args=[pk])
        if what == "send-link":
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            self.send_link(request, Subscriber.objects.filter(pk=pk))
        elif request.method == "POST" and request.POST.get("post") == "yes":
            self.act(request, what, [subscriber])
        else:
            return self.confirmation(request, what, [subscriber], back=back)
        return HttpResponseRedirect(back)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        report, emails = None, None
        if request.method == "POST" and form.is_valid():
            show = form.cleaned_data["show"]
            report = import_csv(show=show, text=form.cleaned_data["file"])
            if form.cleaned_data["send_links"]:
                emails = services.send_links(subscribers=report.created)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import subscribers from CSV",
            "form": form,
            "report": report,
            "emails": emails,
        }
        return render(request, "subscribers/admin/import.html", context)
