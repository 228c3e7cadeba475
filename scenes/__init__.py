"""Manim scenes of the lab. Importing this package loads no manim; each scene module does."""
