"""The render pipeline: scene specs and parameters, validation, fingerprints, running Manim in a
child process, GIF encoding, lecture assembly and the system check. Imports no manim.
"""
