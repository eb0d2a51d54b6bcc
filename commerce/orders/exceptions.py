from commerce.errors import Conflict, NotFound


class OrderNotFound(NotFound):
    # Deliberately identical for "no such order" and "verification does not match":
    # the answer must never reveal that an order number exists.
    code = "order_not_found"
    detail = (
        "We could not find an order with that number and e-mail address or postcode. "
        "Check the order number (it looks like SA-104233) and use the e-mail address or "
        "delivery postcode given at checkout."
    )


class OrderNotCancellable(Conflict):
    code = "order_not_cancellable"
    detail = "This order can no longer be cancelled because it has already left our warehouse."


class AddressNotChangeable(Conflict):
    code = "address_not_changeable"
    detail = "The delivery address can no longer be changed because the order has already shipped."


class ReturnNotAllowed(Conflict):
    code = "return_not_allowed"
    detail = "A return can only be started for a delivered order within 30 days of delivery."


class NoRefund(NotFound):
    code = "refund_not_found"
    detail = "There is no refund for this order yet; refunds start when a cancellation or return is processed."


class NoInvoice(NotFound):
    code = "invoice_not_found"
    detail = "This order has no invoice yet; invoices are issued once payment is received."
