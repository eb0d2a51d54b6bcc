from commerce.errors import NotFound


class CustomerNotFound(NotFound):
    code = "customer_not_found"
    detail = "No customer has that id."


class CategoryNotFound(NotFound):
    code = "category_not_found"
    detail = "No category or department has that slug; the catalog's departments list the slugs."
