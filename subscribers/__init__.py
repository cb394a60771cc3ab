"""Paying listeners: subscribers, their secret tokens and personal feeds."""
