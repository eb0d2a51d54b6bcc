from __future__ import annotations

from commerce.errors import Conflict, NotFound


class ExperimentNotFound(NotFound):
    code = "experiment_not_found"
    detail = "No experiment has that key."


class KeyTaken(Conflict):
    code = "experiment_key_taken"
    detail = "Another experiment already uses this key."


class ExperimentLocked(Conflict):
    code = "experiment_locked"
    detail = ("Variants, split, salt, metric and horizon can only be changed before the experiment starts; "
              "changing them later would move shoppers between variants. Create a new experiment instead.")


class BadTransition(Conflict):
    code = "experiment_bad_transition"
    detail = "An experiment goes from draft to running to stopped, and never back."


class SubjectBusy(Conflict):
    code = "experiment_subject_busy"
    detail = "Another experiment on the same subject is running; stop it first, so a shopper is in one test at a time."
