"""Promo offers: campaigns under budgets, who gets an offer (uplift), which one (a paced auction), and codes."""
