"""The learned compatibility in production: train, gate, store, and pick for a round.

The pure model lives in :mod:`matching.learning`. Here it meets the database and
the disk: ``flask match learn`` trains on groups with after-meeting feedback,
compares the new model with the active one on held-back groups, and activates it
only if it is better; rounds use the active model once it was trained on at least
``MATCH_MODEL_MIN_GROUPS`` groups. Model files live in ``MATCH_MODEL_DIR``
(``instance/models/`` by default) as ``match-compatibility-<version>.joblib``;
each has a ``match_models`` row with its figures and the gate's decision.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from flask import current_app
from scipy.stats import spearmanr  # type: ignore[import-untyped]  # no stubs in the pinned set
from sqlalchemy import select, update

from db import db, utcnow
from matching.features import Candidate
from matching.learning import BLOCK_WORDS, CompatibilityModel, fit_compatibility
from matching.models import MatchModel
from profiles import service as profiles
from wellbeing import service as wellbeing

log = logging.getLogger(__name__)

#: Share of the feedback groups (the newest) held back to judge a new model.
HELD_BACK_SHARE = 0.2
#: Never judge on fewer held-back groups than this.
MIN_HELD_BACK = 5

Example = tuple[list[Candidate], float]

#: Loaded models by file path: a file is read once per process.
_loaded: dict[str, CompatibilityModel] = {}


@dataclass
class LearnReport:
    """What ``learn`` did, for the CLI to print."""

    trained: bool
    activated: bool
    reason: str
    groups: int
    model: MatchModel | None = None


def model_dir() -> Path:
    return Path(current_app.config["MATCH_MODEL_DIR"])


def _held_back_rho(model: CompatibilityModel, held_back: Sequence[Example]) -> float:
    """Rank correlation of a model's predicted outcomes with the actual ones."""
    predicted = model.predict_groups([members for members, _ in held_back])
    outcomes = np.array([outcome for _, outcome in held_back])
    if np.ptp(predicted) == 0 or np.ptp(outcomes) == 0:
        return 0.0
    rho = float(spearmanr(predicted, outcomes).statistic)
    return 0.0 if math.isnan(rho) else rho


def active_row() -> MatchModel | None:
    return db.session.scalars(select(MatchModel).where(MatchModel.active)).first()


def load(row: MatchModel) -> CompatibilityModel:
    """The model stored for ``row`` (read from disk once per process).

    Raises ``OSError``/``TypeError``/unpickling errors when the file is missing or
    is not that version; callers that must keep working use :func:`try_load`.
    """
    path = str(model_dir() / row.file_name)
    cached = _loaded.get(path)
    if cached is None or cached.data_hash != row.data_hash:  # a reused id, another file
        model = joblib.load(path)
        if not isinstance(model, CompatibilityModel) or model.data_hash != row.data_hash:
            raise TypeError(f"{row.file_name} does not hold model version {row.id}")
        _loaded[path] = model
    return _loaded[path]


def try_load(row: MatchModel) -> CompatibilityModel | None:
    """:func:`load`, or None (logged) when the file is gone or unreadable: a model
    stored on another host or lost with ``instance/`` must not stop matching."""
    try:
        return load(row)
    except Exception:  # any unreadable file: matching goes on with similarity alone
        log.exception("compatibility model %s (%s) cannot be read", row.id, row.file_name)
        return None


def model_for_round() -> tuple[int, CompatibilityModel] | None:
    """The active model and its version, if it may be used now.

    Only a model trained on at least ``MATCH_MODEL_MIN_GROUPS`` groups is used
    (the setting may have been raised since it was trained), and only when the
    blend gives it any weight.
    """
    row = active_row()
    if row is None or current_app.config["COMPATIBILITY_BLEND"] <= 0:
        return None
    seen = row.training_groups + row.held_back_groups
    if seen < current_app.config["MATCH_MODEL_MIN_GROUPS"]:
        return None
    model = try_load(row)
    return (row.id, model) if model is not None else None


def learn(examples: Sequence[Example], *, seed: int = 0) -> LearnReport:
    """Train on ``examples`` (oldest first), judge on the newest, activate if better.

    The new model is fitted on all but the newest ``HELD_BACK_SHARE`` of the
    groups; it and the active model are scored on those held-back groups by rank
    correlation with the outcomes. It becomes active only if it is trusted (its
    own cross-validation) and beats the active model's figure (or 0 when none is
    active). Either way its file and row are kept, with the reason. Flushes,
    never commits.
    """
    usable = [(list(members), float(outcome)) for members, outcome in examples if len(members) > 1]
    minimum = int(current_app.config["MATCH_MODEL_MIN_GROUPS"])
    if len(usable) < minimum:
        reason = (
            f"Only {len(usable)} groups have feedback; at least {minimum} are needed "
            "(MATCH_MODEL_MIN_GROUPS). Nothing was trained."
        )
        return LearnReport(False, False, reason, len(usable))
    held = max(MIN_HELD_BACK, math.ceil(HELD_BACK_SHARE * len(usable)))
    training, held_back = usable[:-held], usable[-held:]
    model = fit_compatibility(training, seed=seed)
    rho = _held_back_rho(model, held_back)
    current = active_row()
    current_model = try_load(current) if current is not None else None
    if current_model is None:
        current = None  # an unreadable active model is judged as none
    previous = _held_back_rho(current_model, held_back) if current_model is not None else None
    bar = previous if previous is not None else 0.0
    if not model.informative:
        activated = False
        reason = (
            f"Kept the {'active model' if current else 'similarity alone'}: the new model "
            f"could not predict its own held-out groups (rank correlation "
            f"{model.cv_rank_correlation:.2f})."
        )
    elif rho <= bar:
        activated = False
        reason = (
            f"Kept the {'active model' if current else 'similarity alone'}: on "
            f"{len(held_back)} held-back groups the new model scores {rho:.2f}, "
            f"not above {bar:.2f}."
        )
    else:
        activated = True
        reason = (
            f"Activated: on {len(held_back)} held-back groups the new model scores "
            f"{rho:.2f}, above {bar:.2f}."
        )
    row = MatchModel(
        created_at=utcnow(),
        file_name="",
        data_hash=model.data_hash,
        training_groups=model.n_groups,
        training_pairs=model.n_pairs,
        held_back_groups=len(held_back),
        held_back_rho=rho,
        previous_rho=previous,
        cv_rho=model.cv_rank_correlation,
        effects=json.dumps([[BLOCK_WORDS[name], share] for name, share in model.top_effects()]),
        active=False,
        decision=reason[:300],
    )
    db.session.add(row)
    db.session.flush()
    row.file_name = f"match-compatibility-{row.id}.joblib"
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, directory / row.file_name)
    _loaded[str(directory / row.file_name)] = model
    if activated:
        # One active model at a time (a partial unique index enforces it).
        db.session.execute(update(MatchModel).where(MatchModel.active).values(active=False))
        row.active = True
    db.session.flush()
    return LearnReport(True, activated, reason, len(usable), row)


def describe(row: MatchModel | None) -> dict[str, Any] | None:
    """The console's and the CLI's view of a model row."""
    if row is None:
        return None
    return {
        "version": row.id,
        "created_at": row.created_at,
        "groups": row.training_groups + row.held_back_groups,
        "training_groups": row.training_groups,
        "held_back_groups": row.held_back_groups,
        "held_back_rho": row.held_back_rho,
        "previous_rho": row.previous_rho,
        "effects": [(str(words), float(share)) for words, share in json.loads(row.effects)],
        "decision": row.decision,
        "in_use": (
            row.training_groups + row.held_back_groups
            >= current_app.config["MATCH_MODEL_MIN_GROUPS"]
            and current_app.config["COMPATIBILITY_BLEND"] > 0
        ),
    }


def feedback_examples() -> list[Example]:
    """Groups with after-meeting feedback as training examples, oldest first.

    Members are described by their profile as it is now; people who have since
    deleted their profile are left out, and so is a group with fewer than two left.
    """
    # matching.service imports this module for rounds; import it back lazily.
    from matching.service import candidate_from

    examples: list[Example] = []
    for member_ids, outcome in wellbeing.group_outcomes(db.session()):
        members = [
            candidate_from(user_id, profiles.get_document(user_id))
            for user_id in member_ids
            if profiles.has_profile(user_id)
        ]
        if len(members) > 1:
            examples.append((members, min(1.0, max(0.0, float(outcome)))))
    return examples
