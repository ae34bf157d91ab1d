"""qstrong: criteria for the 质量强县 plan, checked exactly, explained in the plan's own words."""
