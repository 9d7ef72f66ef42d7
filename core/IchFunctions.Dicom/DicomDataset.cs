using System.Collections;

namespace IchFunctions.Dicom;

/// <summary>
/// A data set: data elements ordered by tag, each tag at most once. Items of a sequence are data sets too;
/// they inherit the Specific Character Set of the data set that contains the sequence unless they set their own.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements = [];

    public DicomDataset()
    {
    }

    public DicomDataset(IEnumerable<DicomElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (DicomElement element in elements)
        {
            Set(element);
        }
    }

    /// <summary>The data set whose sequence contains this item; null for a top-level data set.</summary>
    public DicomDataset? Parent { get; private set; }

    public int Count => _elements.Count;

    /// <summary>Adds an element, replacing any element with the same tag.</summary>
    public void Set(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        AdoptItems(element);
        if (_elements.Count == 0 || _elements[^1].Tag < element.Tag)
        {
            _elements.Add(element);
            return;
        }

        int index = IndexOf(element.Tag);
        if (index >= 0)
        {
            _elements[index] = element;
        }
        else
        {
            _elements.Insert(~index, element);
        }
    }

    /// <summary>Removes the element with this tag; returns whether there was one.</summary>
    public bool Remove(DicomTag tag)
    {
        int index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        _elements.RemoveAt(index);
        return true;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Returns the element with this tag, or null.</summary>
    public DicomElement? Find(DicomTag tag)
    {
        int index = IndexOf(tag);
        return index >= 0 ? _elements[index] : null;
    }

    /// <summary>Returns the sequence with this tag, or null when it is absent or not a sequence.</summary>
    public DicomSequence? FindSequence(DicomTag tag) => Find(tag) as DicomSequence;

    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        int low = 0;
        int high = _elements.Count - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            uint value = _elements[middle].Tag.Value;
            if (value == tag.Value)
            {
                return middle;
            }

            if (value < tag.Value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }

    private void AdoptItems(DicomElement element)
    {
        if (element is not DicomSequence sequence)
        {
            return;
        }

        foreach (DicomDataset item in sequence.Items)
        {
            // An item shared by two data sets (for example a filtered copy) keeps its first parent for character set lookup.
            if (item.Parent is null)
            {
                item.Parent = this;
            }
        }
    }
}
