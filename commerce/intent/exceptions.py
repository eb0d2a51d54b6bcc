from commerce.errors import DomainError, NotFound


class ModelUnavailable(DomainError):
    status_code = 503
    code = "intent_model_unavailable"
    detail = ("No purchase-intent model has been trained yet: run `make train-intent` "
              "(python -m commerce.intent.train) on the shop's event log.")


class VisitNotFound(NotFound):
    code = "session_not_found"
    detail = "No visit has that session key; send its events to /v1/events first."


class NoVisitForCustomer(NotFound):
    code = "customer_session_not_found"
    detail = "This customer is unknown or has no recorded visit to score."
