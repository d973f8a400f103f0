"""Start CPF Desktop: the window, or a command when one is given (see --help)."""
from cpf_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
