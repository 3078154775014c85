"""Role guides: what each person around the child does, and how they work with the ESSW."""

from __future__ import annotations

from pydantic import Field

from .common import Item, Line, Text
from .policy import Related


class Role(Item):
    """A role guide, e.g. the ESSW, the designated safeguarding lead, a parent or carer."""

    also_known_as: list[Line] = Field(default_factory=list, description="Other names for this role.")
    what_they_do: list[Text] = Field(min_length=1, description="The main parts of the role.")
    working_with_essw: Text = Field(description="How this role and the ESSW work together.")
    expect: list[Text] = Field(default_factory=list, description="What to expect from the ESSW.")
    do_not_expect: list[Text] = Field(default_factory=list, description="What not to expect from the ESSW.")
    situations: list[Text] = Field(default_factory=list, description="Typical situations this role meets.")
    related: Related = Field(default_factory=Related, description="Links to protocols and case studies by id.")
