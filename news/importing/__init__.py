"""Bringing incoming press releases in: pure parsing and cleaning, then one saving service.

Modules here never touch the ORM except `service`, which saves what the pure steps made.
"""
