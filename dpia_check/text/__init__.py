"""Reading DPIAs written for people (PDF, .txt, .md): the analysts' path.

``prepare`` turns extracted lines into units and sentences once per document,
``sections`` finds the document's headings and maps them to the DPIA model,
``mapper`` fills the model from the text, and ``judge`` lets a rule refine its
verdict where a text says more than the mapped model can hold. ``scan`` answers
"which sentences hold a phrase of this lexicon?" once per lexicon for the whole
document, so none of them searches sentence by sentence. None of this is imported
when a YAML DPIA is checked.
"""
