"""Rasa-side code of ShopAssist: channels and custom graph components."""
