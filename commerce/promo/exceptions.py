from __future__ import annotations

from commerce.errors import Conflict, Invalid, NotFound


class CampaignNotFound(NotFound):
    code = "campaign_not_found"
    detail = "No campaign has that id."


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    detail = "No customer has that id."


class CodeNotValid(Conflict):
    code = "offer_code_not_valid"
    detail = "This offer code is unknown, already used or expired."


class CodeNotApplicable(Invalid):
    code = "offer_code_not_applicable"
    detail = "This offer code cannot be used for this order."


class SlugTaken(Conflict):
    code = "campaign_slug_taken"
    detail = "Another campaign already uses this slug."
