"""arXiv's category codes and names, to read Dublin Core (``oai_dc``) subjects such as "Computer Science - Learning".

Names follow arXiv's taxonomy; a few older names that arXiv still prints in old records are listed too.
"""

from __future__ import annotations

_GROUPS = {
    "cs": (
        "Computer Science",
        {
            "AI": "Artificial Intelligence",
            "AR": "Hardware Architecture",
            "CC": "Computational Complexity",
            "CE": "Computational Engineering, Finance, and Science",
            "CG": "Computational Geometry",
            "CL": "Computation and Language",
            "CR": "Cryptography and Security",
            "CV": "Computer Vision and Pattern Recognition",
            "CY": "Computers and Society",
            "DB": "Databases",
            "DC": "Distributed, Parallel, and Cluster Computing",
            "DL": "Digital Libraries",
            "DM": "Discrete Mathematics",
            "DS": "Data Structures and Algorithms",
            "ET": "Emerging Technologies",
            "FL": "Formal Languages and Automata Theory",
            "GL": "General Literature",
            "GR": "Graphics",
            "GT": "Computer Science and Game Theory",
            "HC": "Human-Computer Interaction",
            "IR": "Information Retrieval",
            "IT": "Information Theory",
            "LG": "Machine Learning",
            "LO": "Logic in Computer Science",
            "MA": "Multiagent Systems",
            "MM": "Multimedia",
            "MS": "Mathematical Software",
            "NA": "Numerical Analysis",
            "NE": "Neural and Evolutionary Computing",
            "NI": "Networking and Internet Architecture",
            "OH": "Other Computer Science",
            "OS": "Operating Systems",
            "PF": "Performance",
            "PL": "Programming Languages",
            "RO": "Robotics",
            "SC": "Symbolic Computation",
            "SD": "Sound",
            "SE": "Software Engineering",
            "SI": "Social and Information Networks",
            "SY": "Systems and Control",
        },
    ),
    "math": (
        "Mathematics",
        {
            "AC": "Commutative Algebra",
            "AG": "Algebraic Geometry",
            "AP": "Analysis of PDEs",
            "AT": "Algebraic Topology",
            "CA": "Classical Analysis and ODEs",
            "CO": "Combinatorics",
            "CT": "Category Theory",
            "CV": "Complex Variables",
            "DG": "Differential Geometry",
            "DS": "Dynamical Systems",
            "FA": "Functional Analysis",
            "GM": "General Mathematics",
            "GN": "General Topology",
            "GR": "Group Theory",
            "GT": "Geometric Topology",
            "HO": "History and Overview",
            "IT": "Information Theory",
            "KT": "K-Theory and Homology",
            "LO": "Logic",
            "MG": "Metric Geometry",
            "MP": "Mathematical Physics",
            "NA": "Numerical Analysis",
            "NT": "Number Theory",
            "OA": "Operator Algebras",
            "OC": "Optimization and Control",
            "PR": "Probability",
            "QA": "Quantum Algebra",
            "RA": "Rings and Algebras",
            "RT": "Representation Theory",
            "SG": "Symplectic Geometry",
            "SP": "Spectral Theory",
            "ST": "Statistics Theory",
        },
    ),
    "astro-ph": (
        "Astrophysics",
        {
            "CO": "Cosmology and Nongalactic Astrophysics",
            "EP": "Earth and Planetary Astrophysics",
            "GA": "Astrophysics of Galaxies",
            "HE": "High Energy Astrophysical Phenomena",
            "IM": "Instrumentation and Methods for Astrophysics",
            "SR": "Solar and Stellar Astrophysics",
        },
    ),
    "cond-mat": (
        "Condensed Matter",
        {
            "dis-nn": "Disordered Systems and Neural Networks",
            "mes-hall": "Mesoscale and Nanoscale Physics",
            "mtrl-sci": "Materials Science",
            "other": "Other Condensed Matter",
            "quant-gas": "Quantum Gases",
            "soft": "Soft Condensed Matter",
            "stat-mech": "Statistical Mechanics",
            "str-el": "Strongly Correlated Electrons",
            "supr-con": "Superconductivity",
        },
    ),
    "physics": (
        "Physics",
        {
            "acc-ph": "Accelerator Physics",
            "ao-ph": "Atmospheric and Oceanic Physics",
            "app-ph": "Applied Physics",
            "atm-clus": "Atomic and Molecular Clusters",
            "atom-ph": "Atomic Physics",
            "bio-ph": "Biological Physics",
            "chem-ph": "Chemical Physics",
            "class-ph": "Classical Physics",
            "comp-ph": "Computational Physics",
            "data-an": "Data Analysis, Statistics and Probability",
            "ed-ph": "Physics Education",
            "flu-dyn": "Fluid Dynamics",
            "gen-ph": "General Physics",
            "geo-ph": "Geophysics",
            "hist-ph": "History and Philosophy of Physics",
            "ins-det": "Instrumentation and Detectors",
            "med-ph": "Medical Physics",
            "optics": "Optics",
            "plasm-ph": "Plasma Physics",
            "pop-ph": "Popular Physics",
            "soc-ph": "Physics and Society",
            "space-ph": "Space Physics",
        },
    ),
    "nlin": (
        "Nonlinear Sciences",
        {
            "AO": "Adaptation and Self-Organizing Systems",
            "CD": "Chaotic Dynamics",
            "CG": "Cellular Automata and Lattice Gases",
            "PS": "Pattern Formation and Solitons",
            "SI": "Exactly Solvable and Integrable Systems",
        },
    ),
    "q-bio": (
        "Quantitative Biology",
        {
            "BM": "Biomolecules",
            "CB": "Cell Behavior",
            "GN": "Genomics",
            "MN": "Molecular Networks",
            "NC": "Neurons and Cognition",
            "OT": "Other Quantitative Biology",
            "PE": "Populations and Evolution",
            "QM": "Quantitative Methods",
            "SC": "Subcellular Processes",
            "TO": "Tissues and Organs",
        },
    ),
    "q-fin": (
        "Quantitative Finance",
        {
            "CP": "Computational Finance",
            "EC": "Economics",
            "GN": "General Finance",
            "MF": "Mathematical Finance",
            "PM": "Portfolio Management",
            "PR": "Pricing of Securities",
            "RM": "Risk Management",
            "ST": "Statistical Finance",
            "TR": "Trading and Market Microstructure",
        },
    ),
    "stat": (
        "Statistics",
        {
            "AP": "Applications",
            "CO": "Computation",
            "ME": "Methodology",
            "ML": "Machine Learning",
            "OT": "Other Statistics",
            "TH": "Statistics Theory",
        },
    ),
    "eess": (
        "Electrical Engineering and Systems Science",
        {
            "AS": "Audio and Speech Processing",
            "IV": "Image and Video Processing",
            "SP": "Signal Processing",
            "SY": "Systems and Control",
        },
    ),
    "econ": ("Economics", {"EM": "Econometrics", "GN": "General Economics", "TH": "Theoretical Economics"}),
}

_STANDALONE = {
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
    "astro-ph": "Astrophysics",
    "cond-mat": "Condensed Matter",
}

_OLD_NAMES = {"Computer Science - Learning": "cs.LG"}

CATEGORY_NAMES: dict[str, str] = dict(_STANDALONE)
for _archive, (_group, _members) in _GROUPS.items():
    for _code, _name in _members.items():
        CATEGORY_NAMES[f"{_archive}.{_code}"] = f"{_group} - {_name}"

_BY_NAME = {name.lower(): code for code, name in CATEGORY_NAMES.items()}
_BY_NAME.update((name.lower(), code) for name, code in _OLD_NAMES.items())
# "Mathematical Physics" is both math-ph and (as "Mathematics - Mathematical Physics") math.MP: keep math-ph.
_BY_NAME["mathematical physics"] = "math-ph"


def category_for_name(name: str) -> str:
    """The code of a category name (``"Computer Science - Machine Learning"`` -> ``cs.LG``), or ''."""
    return _BY_NAME.get(" ".join((name or "").split()).lower(), "")


def category_name(code: str) -> str:
    """The name of a category code, or the code itself when unknown."""
    return CATEGORY_NAMES.get(code, code)


_BY_LOWER_CODE = {code.lower(): code for code in CATEGORY_NAMES}


def canonical_category(text: str) -> str:
    """A category code as arXiv spells it, whatever the case it was typed in (``CS.cl`` -> ``cs.CL``); text that is
    no known code comes back trimmed but otherwise as typed."""
    cleaned = (text or "").strip()
    return _BY_LOWER_CODE.get(cleaned.lower(), cleaned)
