"""Demo data: factories and visits in every state, a signing identity and a demo office."""
