"""The office's fees: invoices from the visits' fee notes, payments and the Training and
Development Fund."""
