"""CAP follow-up without follow-up audits: the factory's answers, evidence, decisions."""
