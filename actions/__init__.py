"""ShopAssist custom actions. rasa_sdk's executor imports every module of this package."""
