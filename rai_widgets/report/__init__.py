"""Reports: the generated model card and the self-contained offline HTML export."""
