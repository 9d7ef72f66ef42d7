namespace IchFunctions.Imaging.Aggregation;

/// <summary>Labels 26-connected components of a binary volume indexed [slice, row, column].</summary>
public static class ConnectedComponents
{
    /// <summary>
    /// Writes a component number (1, 2, ...) for every non-zero voxel of <paramref name="mask"/> into
    /// <paramref name="labels"/> and returns the number of components. Voxels that share a face, an edge or a
    /// corner belong to the same component. Numbering follows the first voxel of each component in memory order.
    /// </summary>
    public static int Label(ReadOnlySpan<byte> mask, int slices, int rows, int columns, Span<int> labels)
    {
        int sliceLength = rows * columns;
        if (mask.Length != slices * sliceLength || labels.Length != mask.Length)
        {
            throw new ArgumentException($"Mask ({mask.Length}) and labels ({labels.Length}) must both have {slices * sliceLength} voxels.");
        }

        labels.Clear();
        var pending = new Stack<int>();
        int count = 0;
        for (int start = Background.NextNonZero(mask, 0); start >= 0; start = Background.NextNonZero(mask, start + 1))
        {
            if (labels[start] != 0)
            {
                continue;
            }

            count++;
            labels[start] = count;
            pending.Push(start);
            while (pending.Count > 0)
            {
                int index = pending.Pop();
                int slice = index / sliceLength;
                int row = index % sliceLength / columns;
                int column = index % columns;
                for (int ds = -1; ds <= 1; ds++)
                {
                    int s = slice + ds;
                    if (s < 0 || s >= slices)
                    {
                        continue;
                    }

                    for (int dr = -1; dr <= 1; dr++)
                    {
                        int r = row + dr;
                        if (r < 0 || r >= rows)
                        {
                            continue;
                        }

                        for (int dc = -1; dc <= 1; dc++)
                        {
                            int c = column + dc;
                            if (c < 0 || c >= columns)
                            {
                                continue;
                            }

                            int neighbour = (s * sliceLength) + (r * columns) + c;
                            if (mask[neighbour] != 0 && labels[neighbour] == 0)
                            {
                                labels[neighbour] = count;
                                pending.Push(neighbour);
                            }
                        }
                    }
                }
            }
        }

        return count;
    }
}
