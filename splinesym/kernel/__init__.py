"""The trusted certificate kernel of splinesym (standard library only; see ``__main__``)."""
