"""Notifications (#17): on-site in "My Mogao" and by e-mail, in each reader's language, with unsubscribe."""
