"""The admin's import pages: the URL form and its dry-run report, then the live progress."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .models import FeedImport
from .services import ImportRefused, import_feed, plan_import, publish_import


class ImportForm(forms.Form):
    url = forms.URLField(
        max_length=1000, assume_scheme="https", label="Feed URL", help_text="The show's RSS feed."
    )
    show = forms.SlugField(
        required=False, help_text="Slug of the show to import into; empty: from the feed's title."
    )
    limit = forms.IntegerField(required=False, min_value=1, help_text="Only the first N items.")
    publish = forms.BooleanField(
        required=False, help_text="Publish each episode, dated as before, once its audio is ready."
    )


@permission_required("episodes.add_feedimport", raise_exception=True)
def new_import(request: HttpRequest, admin_site_context: dict) -> HttpResponse:
    """GET: the form. POST "preview": the dry-run report. POST "import": import, then progress."""
    form = ImportForm(request.POST or None)
    context = {**admin_site_context, "form": form, "title": "Import a show from its feed"}
    if request.method != "POST" or not form.is_valid():
        return render(request, "episodes/admin/import_form.html", context)
    data = form.cleaned_data
    try:
        plan, show = plan_import(url=data["url"], show_slug=data["show"], limit=data["limit"])
        if "import" not in request.POST:
            context.update(report=plan.summary(), show=show, ready=True)
            return render(request, "episodes/admin/import_form.html", context)
        feed_import = import_feed(
            plan=plan,
            show_slug=data["show"],
            user=request.user,
            user_email=request.user.email,
            publish=data["publish"],
        )
    except ImportRefused as error:
        context["refused"] = str(error)
        return render(request, "episodes/admin/import_form.html", context)
    messages.success(
        request,
        f"Created {feed_import.created} draft episodes; the worker is downloading their audio.",
    )
    return redirect("admin:episodes_feedimport_change", feed_import.pk)


def import_state(feed_import: FeedImport) -> dict:
    progress = feed_import.progress()
    return {
        "progress": progress,
        "pending": progress["waiting"] > 0,
        "failures": feed_import.failures(),
    }


def render_import_state(feed_import: FeedImport, state: dict) -> str:
    return render_to_string(
        "episodes/admin/_import_progress.html", {"feed_import": feed_import, **state}
    )


@permission_required("episodes.view_feedimport", raise_exception=True)
def import_detail(request: HttpRequest, object_id: int, admin_site_context: dict) -> HttpResponse:
    feed_import = get_object_or_404(FeedImport.objects.select_related("show"), pk=object_id)
    state = import_state(feed_import)
    show = feed_import.show
    context = {
        **admin_site_context,
        "title": f"Import of {feed_import.url}",
        "feed_import": feed_import,
        "state_html": render_import_state(feed_import, state),
        "pending": state["pending"],
        "our_feed": show.feed_url(),
        "unpublished": show.episodes.filter(
            import_items__feed_import=feed_import, publish_at=None
        ).count(),
    }
    return render(request, "episodes/admin/import_detail.html", context)


@require_GET
@permission_required("episodes.view_feedimport", raise_exception=True)
def import_progress(request: HttpRequest, object_id: int) -> JsonResponse:
    feed_import = get_object_or_404(FeedImport, pk=object_id)
    state = import_state(feed_import)
    return JsonResponse(
        {
            **state["progress"],
            "pending": state["pending"],
            "html": render_import_state(feed_import, state),
        }
    )


@require_POST
@permission_required("episodes.change_episode", raise_exception=True)
def publish(request: HttpRequest, object_id: int) -> HttpResponse:
    feed_import = get_object_or_404(FeedImport, pk=object_id)
    count = publish_import(feed_import=feed_import)
    messages.success(request, f"Published {count} episodes, dated as the old feed dated them.")
    return redirect(reverse("admin:episodes_feedimport_change", args=[feed_import.pk]))
