"""What a decision is made of: the types the engine and the policy return."""
