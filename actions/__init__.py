"""ShopAssist custom actions. rasa_sdk's executor imports every module of this package."""

from bot import redaction

redaction.install()  # rasa_sdk has set up its logging before it imports this package
