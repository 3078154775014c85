"""ESSW knowledge base: YAML sources -> validated model -> Markdown pages -> static site."""

__version__ = "0.1.0"
