"""ShopAssist commerce backend: the system of record for catalog, customers, orders and behaviour."""
