namespace IchFunctions.Imaging.Synthetic;

/// <summary>Tissue label of one voxel of an anatomy model.</summary>
public enum TissueClass : byte
{
    Air = 0,
    Scalp,
    Bone,

    /// <summary>Cerebrospinal fluid in the subarachnoid space, sulci, fissures and cisterns.</summary>
    Csf,

    GreyMatter,
    WhiteMatter,

    /// <summary>Deep grey nuclei (basal ganglia and thalami).</summary>
    DeepGrey,

    /// <summary>Cerebrospinal fluid inside the ventricles.</summary>
    Ventricle,
}
