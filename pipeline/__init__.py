"""The render pipeline: everything between a scene and a finished file, without importing Manim."""
