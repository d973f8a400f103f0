"""Forms compiled from ../../../ui by ui/compile_forms.py: generated, do not edit."""
