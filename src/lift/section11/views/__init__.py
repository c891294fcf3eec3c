"""Section 11 pages: cycles and frameworks, agency returns and peer challenge, reports."""
