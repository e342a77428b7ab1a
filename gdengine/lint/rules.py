"""The layout rules, as pure geometry over sampled frames (no manim, no VTK).

A renderer turns each sampled frame into a ``Sample``: the text boxes on screen (output
pixels, y down), the data shapes (balls, markers, arrow heads, curves, trails) as points, and
whether anything but the background and a caption is drawn. ``Linter`` takes the samples in
time order and returns ``Finding`` rows, one per rule and objects each time a defect starts:

* ``overlap``       two text boxes intersect (parts of one label are one group);
* ``offframe``      text outside the title-safe area (5 % margin on each side);
* ``tiny``          cap height under 12 px at 854×480 (captions 16 px, Chinese glyph box 14 px),
  judged on settled samples (between animations);
* ``two-captions``  a caption starts appearing before the previous one is fully gone;
* ``covers-data``   a text box covers a point of a ball, marker, arrow, curve or trail;
* ``empty``         more than 0.3 s with nothing but the background and a caption;
* ``reading-time``  a caption shown for less than (1 s + 1 s per 3 English words or per 6
  Chinese characters) × the clip's pace.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

RULES = ("overlap", "offframe", "tiny", "two-captions", "covers-data", "empty", "reading-time")

REFERENCE_HEIGHT = 480  # sizes are judged as if the clip were 854×480
SAFE_MARGIN = 0.05
MIN_CAP_PX = 12.0
MIN_CAPTION_CAP_PX = 16.0
MIN_CJK_BOX_PX = 14.0
MAX_EMPTY_SECONDS = 0.3
SECONDS_PER_WORD = 1 / 3
SECONDS_PER_CJK_CHAR = 1 / 6
TOLERANCE_PX = 1.0  # boxes that merely touch do not overlap

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\S*[^\W_]\S*", re.UNICODE)  # a whitespace-separated token with a letter or digit


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def reading_seconds(text: str, pace: float = 1.0) -> float:
    """How long caption ``text`` must stay up: 1 s + 1 s per 3 words (per 6 CJK characters)."""
    if is_cjk(text):
        units = len(_CJK.findall(text)) * SECONDS_PER_CJK_CHAR
        units += len(_WORD.findall(_CJK.sub(" ", text))) * SECONDS_PER_WORD
    else:
        units = len(_WORD.findall(text)) * SECONDS_PER_WORD
    return (1.0 + units) * pace


@dataclass(frozen=True)
class TextBox:
    """One label or caption on screen. ``box`` = (x0, y0, x1, y1) in output pixels, y down."""

    ident: int  # the same object keeps the same ident from sample to sample
    text: str
    box: tuple[float, float, float, float]
    cap_px: float  # cap height (CJK: glyph box height) in output pixels
    caption: bool = False
    group: int | None = None  # texts of one group (a label and its parts) never overlap-flag

    @property
    def cjk(self) -> bool:
        return is_cjk(self.text)


@dataclass(frozen=True)
class DataShape:
    """A ball, marker, arrow head, curve or trail: points along it in output pixels (N, 2)."""

    ident: int
    name: str
    points: np.ndarray


@dataclass
class Sample:
    t: float
    texts: list[TextBox] = field(default_factory=list)
    data: list[DataShape] = field(default_factory=list)
    busy: bool = True  # something besides the background and the caption strip is drawn
    settled: bool = True  # no animation is mid-way (sizes are judged on settled frames only:
    # a label being drawn by Create/Write or grown from a point is not yet its size)


@dataclass(frozen=True)
class Finding:
    clip: str
    language: str
    t: float
    rule: str
    objects: tuple[str, ...]

    def line(self) -> str:
        what = " × ".join(f'"{_short(o)}"' for o in self.objects)
        return f"{self.clip}[{self.language}]  t={self.t:.2f}s  {self.rule}  {what}".rstrip()


@dataclass(frozen=True)
class Allowance:
    """One finding a scene accepts, with the reason written next to it: it covers the first
    finding of ``rule`` (naming an object that contains ``about``, if given) and no other."""

    rule: str
    reason: str
    about: str | None = None  # only findings naming an object that contains this text

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"lint_allow: unknown rule {self.rule!r}; valid rules: {', '.join(RULES)}")
        if not isinstance(self.reason, str) or not self.reason.strip():
            raise ValueError(f"lint_allow({self.rule!r}): give the reason this finding is acceptable")

    def covers(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        return self.about is None or any(self.about in o for o in finding.objects)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _intersect(a, b, tol: float = TOLERANCE_PX) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


def _inside(points: np.ndarray, box, tol: float = TOLERANCE_PX) -> bool:
    if points.size == 0:
        return False
    x, y = points[:, 0], points[:, 1]
    hit = (x > box[0] + tol) & (x < box[2] - tol) & (y > box[1] + tol) & (y < box[3] - tol)
    return bool(hit.any())


class Linter:
    """Collects samples of one clip (in time order) and reports findings."""

    def __init__(
        self,
        clip: str,
        language: str,
        width: int,
        height: int,
        pace: float = 1.0,
        allow: Iterable[Allowance] = (),
    ) -> None:
        self.clip, self.language = clip, language
        self.width, self.height, self.pace = width, height, pace
        self.allow = list(allow)
        self.scale = REFERENCE_HEIGHT / height  # output px → px at 480p
        mx, my = SAFE_MARGIN * width, SAFE_MARGIN * height
        self.safe = (mx, my, width - mx, height - my)
        self._found: list[Finding] = []
        self._active: set[tuple] = set()
        # (ident, text) → [first seen, seen until]; the text too, as a freed caption's id
        # may be reused by the next one
        self._captions: dict[tuple[int, str], list[float]] = {}
        self._seen_captions: set[tuple[int, str]] = set()
        self._empty_since: float | None = None
        self._last_t: float | None = None
        self.samples = 0

    # --- per-sample rules ------------------------------------------------------------
    def add(self, sample: Sample) -> None:
        if self._last_t is not None and sample.t < self._last_t - 1e-9:
            raise ValueError(f"samples out of order: {sample.t} after {self._last_t}")
        self._close_interval(sample.t)
        self.samples += 1
        keys: dict[tuple, tuple[str, tuple[str, ...]]] = {}
        texts = sample.texts
        for text in texts:
            if not _within(text.box, self.safe):
                keys[("offframe", text.ident)] = ("offframe", (text.text,))
            if sample.settled and text.cap_px * self.scale < self._min_cap(text) - 1e-6:
                keys[("tiny", text.ident)] = ("tiny", (text.text,))
            for shape in sample.data:
                if _inside(shape.points, text.box):
                    keys[("covers-data", text.ident, shape.ident)] = ("covers-data", (text.text, shape.name))
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if a.caption and b.caption:
                    continue
                if a.group is not None and a.group == b.group:
                    continue
                if _intersect(a.box, b.box):
                    pair = tuple(sorted((a.ident, b.ident)))
                    keys[("overlap", *pair)] = ("overlap", (a.text, b.text))
        captions = [t for t in texts if t.caption]
        if len({c.ident for c in captions}) > 1:
            keys[("two-captions",)] = ("two-captions", tuple(c.text for c in captions))
        for key, (rule, objects) in keys.items():
            if key not in self._active:
                self._report(sample.t, rule, objects)
        self._active = set(keys)
        for c in captions:
            self._captions.setdefault((c.ident, c.text), [sample.t, sample.t])
        self._seen_captions = {(c.ident, c.text) for c in captions}
        if sample.busy:
            self._end_empty(sample.t)
        elif self._empty_since is None:
            self._empty_since = sample.t
        self._last_t = sample.t

    def _min_cap(self, text: TextBox) -> float:
        if text.caption:
            return MIN_CAPTION_CAP_PX
        return MIN_CJK_BOX_PX if text.cjk else MIN_CAP_PX

    def _close_interval(self, until: float) -> None:
        """The previous sample held until ``until``: extend what it showed."""
        if self._last_t is None:
            return
        for key in self._seen_captions:
            self._captions[key][1] = until

    def _end_empty(self, until: float) -> None:
        """An empty stretch (if one was running) ends at ``until``: report it if too long."""
        if self._empty_since is not None and until - self._empty_since > MAX_EMPTY_SECONDS + 1e-6:
            self._report(self._empty_since, "empty", (f"{until - self._empty_since:.1f} s",))
        self._empty_since = None

    # --- end of clip -------------------------------------------------------------------
    def finish(self, end: float) -> list[Finding]:
        """Close the clip at time ``end``; the findings not covered by an allowance."""
        self._close_interval(end)
        self._end_empty(end)
        self._seen_captions = set()
        for (_, text), (first, until) in self._captions.items():
            need = reading_seconds(text, self.pace)
            if until - first < need - 1e-6:
                self._report(first, "reading-time", (f"{text}", f"{until - first:.1f} s < {need:.1f} s"))
        self._last_t = None
        unused = list(self.allow)
        kept = []
        for finding in sorted(self._found, key=lambda f: (f.t, RULES.index(f.rule))):
            allowance = next((a for a in unused if a.covers(finding)), None)
            if allowance is None:
                kept.append(finding)
            else:
                unused.remove(allowance)  # one allowance, one finding: no blanket switch
        return kept

    def _report(self, t: float, rule: str, objects: tuple[str, ...]) -> None:
        self._found.append(Finding(self.clip, self.language, round(t, 4), rule, objects))


def _within(box, safe, tol: float = 0.5) -> bool:
    return box[0] >= safe[0] - tol and box[1] >= safe[1] - tol and box[2] <= safe[2] + tol and box[3] <= safe[3] + tol
