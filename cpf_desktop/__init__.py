"""CPF Desktop: rate LAUSD classified staff against the Classified Performance Framework."""

__version__ = "0.1.0"
APP_NAME = "CPF Desktop"
