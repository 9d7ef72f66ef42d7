namespace IchFunctions.Imaging.Synthetic;

/// <summary>The five kinds of acute intracranial hemorrhage radiologists distinguish on CT.</summary>
public enum HemorrhageKind
{
    /// <summary>Lentiform collection between the skull and the dura.</summary>
    Epidural,

    /// <summary>Crescent along the inner table, between the dura and the arachnoid.</summary>
    Subdural,

    /// <summary>Blob within the brain tissue, with a low-density rim of edema.</summary>
    Intraparenchymal,

    /// <summary>Thin blood in the sulci, fissures and cisterns.</summary>
    Subarachnoid,

    /// <summary>Blood layering in the dependent part of the ventricles.</summary>
    Intraventricular,
}
