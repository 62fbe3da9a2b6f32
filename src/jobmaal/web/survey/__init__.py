"""KL's yearly survey (rundspørge) of the municipalities' work with goal 1, dignity."""
