"""Chinese text toolkit: folding, tokens, romanization, dictionary and dates. No Django imports."""
