"""The rule language, free of any store: value types, expressions, functions and the syntax tree."""
