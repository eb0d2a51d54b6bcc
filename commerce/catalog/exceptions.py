from commerce.errors import Conflict, NotFound


class ProductNotFound(NotFound):
    code = "product_not_found"
    detail = "No product has that SKU; search the catalog to find the right one."


class OutOfStock(Conflict):
    code = "out_of_stock"
    detail = "Not enough of this product is in stock; lower the quantity or choose another product."
