"""What tests share: factories, logging in, each area's small scenes (never test modules importing each other)."""
