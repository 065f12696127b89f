"""The archive's data: organisations, the two-level category tree, decisions, import runs."""

from __future__ import annotations

import zlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F
from django.urls import reverse

# In its own module with the function that counts in it; imported here so Django
# registers it with the app's other models.
from decisions.limits import RateCounter
from decisions.parsing.outcomes import OUTCOME_FAMILIES
from decisions.parsing.references import reference_slug
from decisions.querysets import (
    LARGEST_PAYMENT_FIRST,
    NEWEST_FIRST,
    DecisionQuerySet,
    OrganisationQuerySet,
)


class Organisation(models.Model):
    """A council, care provider or other body complained about."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # Organisation look-up by any part of the name and with small misspellings:
            # name ILIKE '%norf%' and similarity(name, 'Norfok') via pg_trgm.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="organisation_name_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A category (parent is None) or a subcategory of the LGSCO's taxonomy.

    Decisions point at the subcategory row; its parent is the category.
    """

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # False when the category came from an unknown URL slug or label: it needs a human look.
    in_taxonomy = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [
            # One "Housing", and one "Housing > Allocations"; nulls_distinct=False makes
            # two top-level rows with the same slug clash too.
            models.UniqueConstraint(
                fields=["parent", "slug"], nulls_distinct=False, name="category_unique_slug"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent is not None else self.name


def by_filter_then_date(field: str) -> tuple:
    """Index expressions: one filter column, then the list order."""
    return (F(field), *NEWEST_FIRST)


class Decision(models.Model):
    """One published decision statement."""

    reference = models.CharField(max_length=16, unique=True, help_text="Canonical: '19 011 560'")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        db_index=False,  # covered by decision_org_date_idx
        help_text="Unknown for the 2016-2017 pages that name no body.",
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        db_index=False,  # covered by decision_category_date_idx
        help_text="The subcategory; its parent is the category.",
    )
    outcome = models.CharField(max_length=40, choices=OUTCOME_FAMILIES, blank=True)
    outcome_wording = models.CharField(max_length=255, blank=True, help_text="As published.")
    outcome_inferred = models.BooleanField(
        default=False, help_text="The page had no outcome line; the family was read from the text."
    )
    decision_date = models.DateField(null=True, blank=True, help_text="Unknown is never guessed.")
    summary = models.TextField(blank=True)
    sections = models.JSONField(default=list, help_text="[{heading, paragraphs: [...]}, ...]")
    body_text = models.TextField(blank=True, help_text="The sections as plain text, for search.")
    remedies = models.JSONField(default=dict, blank=True)
    remedy_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    other_bodies = models.JSONField(default=list, blank=True)
    legislation = models.JSONField(default=list, blank=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    # Most scraped pages are the first ~2,000 characters of a statement: the page says so,
    # and links the full text at the source. From the parser's "page appears truncated".
    truncated = models.BooleanField(
        "incomplete copy",
        default=False,
        help_text="The stored text stops before the end of the statement.",
    )
    # Set on import: no date or outcome line, an unknown organisation or a category
    # outside the taxonomy, or any parse warning. A person should look at these.
    needs_review = models.BooleanField(default=False)
    source = models.CharField(max_length=1000, help_text="File name or URL it was imported from.")
    url = models.URLField(
        max_length=1000, blank=True, help_text="The page's address on lgo.org.uk."
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the parsed content.")
    source_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the page as imported (raw text)."
    )
    # Set when staff correct the decision in the admin. A re-import keeps the correction
    # unless the source page itself changed (see README, "Curation").
    curated_at = models.DateTimeField(null=True, blank=True)
    curated_fields = models.JSONField(
        default=list, blank=True, help_text="The fields staff corrected by hand."
    )
    # Withdrawn decisions stay in the database and the admin, but no public page shows them.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = list(NEWEST_FIRST)
        indexes = [
            # The default list: ORDER BY decision_date DESC NULLS LAST, id DESC LIMIT n
            # (undated pages last); the index must have the same NULLS order to be used.
            models.Index(*NEWEST_FIRST, name="decision_date_idx"),
            # The organisation, category/subcategory and outcome filters, each in the
            # list's own order (newest first, undated last, then id), so a page of
            # them is read from the index instead of sorting every matching row.
            models.Index(*by_filter_then_date("organisation"), name="decision_org_date_idx"),
            models.Index(*by_filter_then_date("category"), name="decision_category_date_idx"),
            models.Index(*by_filter_then_date("outcome"), name="decision_outcome_date_idx"),
            # Sorted by the largest payment: ORDER BY remedy_total DESC, then the list order.
            models.Index(*LARGEST_PAYMENT_FIRST, name="decision_largest_payment_idx"),
            # The admin's "needs review" filter: a small share of rows, so a partial index.
            models.Index(
                fields=["-decision_date"],
                condition=models.Q(needs_review=True),
                name="decision_needs_review_idx",
            ),
        ]
        constraints = [
            # A withdrawal always says why, for the next administrator who finds it.
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawal_reason=""),
                name="decision_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.slug])

    @property
    def title(self) -> str:
        """ "Norfolk County Council (19 011 560)"; "Decision 16 003 210 (organisation not
        named)" for the 2016-2017 statements, which name no organisation."""
        if self.organisation_id is None:
            return f"Decision {self.reference} (organisation not named)"
        return f"{self.organisation} ({self.reference})"

    @property
    def slug(self) -> str:
        return reference_slug(self.reference)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ImportRun(models.Model):
    """One run of the import pipeline, from the command line, the admin or the harvester."""

    class Origin(models.TextChoices):
        COMMAND = "command", "Management command"
        ADMIN = "admin", "Admin upload"
        HARVEST = "harvest", "Harvester"
        REPARSE = "reparse", "Re-parse of stored captures"
        REDERIVE = "rederive", "Re-derivation of stored remedies"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        # The process died mid-way (killed, the machine restarted, the database went away):
        # the batches counted were committed; running the import again completes it.
        INTERRUPTED = "interrupted", "Interrupted"

    origin = models.CharField(max_length=20, choices=Origin.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    # Touched after every committed batch: a running run whose heartbeat is older than
    # IMPORT_STALE_AFTER_SECONDS belonged to a process that died (see mark_interrupted).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Why an interrupted run stopped, when the process could still say so.
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    dry_run = models.BooleanField(default=False)
    sources = models.JSONField(default=list, help_text="The paths or files given.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Updates that would have lost information: the stored decision was kept, the new
    # version stored as a held capture, and the decision flagged for review.
    held = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, help_text="[{source, error}, ...]")
    # What the admin's report lists: [{reference, status}] (at most REPORT_LINKS) and
    # [{source, note}] for held updates and replaced corrections.
    changed = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # Uploads are kept under MEDIA_ROOT so a run can be audited and re-run:
    # [{name, path (relative to MEDIA_ROOT), size, sha256}, ...].
    files = models.JSONField(default=list, blank=True, help_text="The uploaded files kept.")
    rerun_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns"
    )

    class Meta:
        ordering = ["-started_at"]
        permissions = [("import_decisions", "Can upload decision files in the admin")]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_origin_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def processed(self) -> int:
        """Every input record the run met, whatever became of it."""
        return self.created + self.updated + self.unchanged + self.held + self.failed

    @property
    def done(self) -> bool:
        return self.status in {self.Status.FINISHED, self.Status.INTERRUPTED}

    @property
    def status_label(self) -> str:
        """The status as people read it: a run that finished is not a success when
        records failed, and one in which every record failed has failed. Said here, not
        stored as a status: "finished" still means the run went to its end."""
        if self.status != self.Status.FINISHED or not self.failed:
            return self.get_status_display()
        if self.processed == self.failed:
            return "Failed"
        return f"Finished with {self.failed} failure{'' if self.failed == 1 else 's'}"


class Capture(models.Model):
    """One source as it came in: the raw bytes of a page or record, compressed, and where
    it came from. Every import keeps one per decision and distinct source; the decision's
    fields are derived from the capture whose hash is its `source_hash` (its best
    capture). Held-back versions live here too, and a parser improvement can re-derive
    every decision from its captures without the original files (`reparse_captures`).
    """

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="captures")
    run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="captures"
    )
    origin = models.CharField(max_length=20, choices=ImportRun.Origin.choices)
    source = models.CharField(max_length=1000, help_text="File name, member or URL.")
    url = models.CharField(max_length=1000, blank=True)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the raw bytes.")
    raw = models.BinaryField(help_text="The raw bytes, zlib-compressed.")
    raw_size = models.PositiveIntegerField(help_text="Bytes before compression.")
    # Text sources are stored as UTF-8; bytes as they came. "surrogatepass" keeps a lone
    # surrogate of a broken JSON record exactly, so nothing about the input is lost.
    is_text = models.BooleanField(default=False)
    # The scraper record's keys other than its text, and a harvested page's headers.
    metadata = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # True when the import kept the stored decision instead of this version.
    held = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same bytes for the same decision are one capture, however often imported.
            models.UniqueConstraint(fields=["decision", "sha256"], name="capture_unique_source"),
        ]
        indexes = [
            # The admin's list of held versions waiting for a person.
            models.Index(
                fields=["-created_at"], condition=models.Q(held=True), name="capture_held_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Capture of {self.decision_id} from {self.source}"

    def content(self) -> str | bytes:
        """The source as the parser was given it."""
        data = zlib.decompress(bytes(self.raw))
        return data.decode("utf-8", "surrogatepass") if self.is_text else data


class SourcePage(models.Model):
    """A decision's life at its source: when the harvester first and last saw its page,
    when it was last checked, and since when the source no longer publishes it. Also the
    validators (ETag, Last-Modified) that make the next request for it conditional.
    One per decision that the harvester or `check_sources` has met (decisions.harvesting).
    """

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, primary_key=True, related_name="source_page"
    )
    url = models.CharField(max_length=1000, help_text="The address the page was fetched from.")
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # When a listing last showed it: only a decision listed before can go missing from one.
    last_listed_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # Set by a 404 or 410 for its page, or by its absence from the listings of its (recent)
    # window on two harvests in a row; cleared when the page is served again.
    gone_since = models.DateTimeField(null=True, blank=True)
    gone_reason = models.CharField(max_length=200, blank=True)
    # Harvests in a row whose walk of its window did not list it, and since when.
    missing_from_listings = models.PositiveSmallIntegerField(default=0)
    missing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # check_sources: ORDER BY last_checked_at NULLS FIRST, the oldest-checked first.
            models.Index(
                F("last_checked_at").asc(nulls_first=True), name="source_page_checked_idx"
            ),
            # The list's "no longer published" filter: a small share of rows, so partial.
            models.Index(
                fields=["decision"],
                condition=models.Q(gone_since__isnull=False),
                name="source_page_gone_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Source of {self.decision_id}: {self.url}"


class HarvestRun(models.Model):
    """One run of `harvest_lgsco` or `check_sources`: what it walked and fetched. The
    pages it imported are counted by its ImportRuns (origin "harvest"), one per window."""

    class Kind(models.TextChoices):
        HARVEST = "harvest", "Harvest of the listings"
        CHECK = "check", "Check of stored decisions' sources"

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        # Stopped on purpose, saying why: an unexpected listing page, repeated failures,
        # robots.txt unreadable, a Retry-After too long, the request budget spent.
        STOPPED = "stopped", "Stopped"
        INTERRUPTED = "interrupted", "Interrupted"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HARVEST)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    base_url = models.CharField(max_length=1000)
    error = models.TextField(blank=True, help_text="Why the run stopped, when it did.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # [{from, to, status: walked|skipped|stopped, pages, listed}], in the order walked.
    windows = models.JSONField(default=list, blank=True)
    requests = models.PositiveIntegerField(default=0, help_text="Every HTTP request made.")
    pages_fetched = models.PositiveIntegerField(default=0, help_text="Decision pages, 200.")
    not_modified = models.PositiveIntegerField(default=0, help_text="Decision pages, 304.")
    disallowed = models.PositiveIntegerField(default=0, help_text="Skipped for robots.txt.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    removed_at_source = models.PositiveIntegerField(default=0)
    # [{url, error}, ...]: fetches and imports that failed, with the reason.
    failures = models.JSONField(default=list, blank=True)
    imports = models.ManyToManyField(ImportRun, blank=True, related_name="harvests")

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The about page and /readyz: the newest finished harvest.
            models.Index(
                fields=["-finished_at"],
                condition=models.Q(status="finished", kind="harvest"),
                name="harvest_run_finished_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class HarvestWindow(models.Model):
    """A checkpoint: a window of decision dates whose listings were walked to the end and
    whose pages were imported. A later harvest skips it unless it is recent."""

    base_url = models.CharField(max_length=1000)
    date_from = models.DateField()
    date_to = models.DateField()
    run = models.ForeignKey(HarvestRun, null=True, on_delete=models.SET_NULL)
    finished_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["base_url", "date_from", "date_to"], name="harvest_window_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_from} to {self.date_to} at {self.base_url}"


__all__ = [
    "Capture",
    "Category",
    "Decision",
    "HarvestRun",
    "HarvestWindow",
    "ImportRun",
    "Organisation",
    "RateCounter",
    "SourcePage",
]
