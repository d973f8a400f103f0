"""Exports of a review (PDF).

Nothing is imported here on purpose: ``cpf_desktop.export.pdf`` pulls in reportlab, so the app
imports it lazily, only when the user prints or exports.
"""
