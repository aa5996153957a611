"""What the CPA firm receives: the PDF evidence package, the xlsx workbook and the verifiable zip binder."""
