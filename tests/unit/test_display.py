"""LaTeX in titles shown as text (display only), and long author lists shortened."""

import pytest

from storage.display import latex_text, short_authors


@pytest.mark.parametrize("raw, shown", [
    ("R\\'{e}nyi Divergence", "Rényi Divergence"),
    ("R\\'enyi and Erd\\H{o}s", "Rényi and Erdős"),
    ('Sch\\"onhage and {\\"U}ber', "Schönhage and Über"),
    ("Caf\\'e \\c{c}a \\v{S}koda \\ss", "Café ça Škoda ß"),
    ("An $\\mathcal{O}(n)$ algorithm", "An 𝒪(n) algorithm"),
    ("The $\\ell_1$ norm and $\\alpha$-nets", "The ℓ_1 norm and α-nets"),
    ("$\\frac{1}{2}$-approximation", "1/2-approximation"),
    ("\\emph{Fast} and \\textbf{Exact}", "Fast and Exact"),
    ("50\\% off, Tom \\& Jerry, a\\_b", "50% off, Tom & Jerry, a_b"),
    # not LaTeX: left exactly as it came
    ("Training a Coder on a $100K Budget", "Training a Coder on a $100K Budget"),
    ("Costs $5 and $10", "Costs $5 and $10"),
    ("C++ ~ C# at 50% [/bold] *stars*", "C++ ~ C# at 50% [/bold] *stars*"),
    ("An \\unknowncmd stays", "An \\unknowncmd stays"),
    ("Unbalanced {brace", "Unbalanced {brace"),
    ("ends with a backslash \\", "ends with a backslash \\"),
])
def test_latex_text(raw, shown):
    assert latex_text(raw) == shown


def test_short_authors():
    names = [f"Author {i}" for i in range(125)]
    assert short_authors(names) == "Author 0, Author 1, Author 2 … and 122 more"
    assert short_authors(names[:4]) == "Author 0, Author 1, Author 2, Author 3"
    assert short_authors([]) == ""
