"""Accounts and roles: readers, curators of an institution, administrators."""
