// Renders a meshed network with its physical groups coloured (Gmsh GUI, off-screen under xvfb-run).
Merge "model.msh"; // the mesh to show, in the current folder
General.GraphicsWidth = 1400;
General.GraphicsHeight = 800;
General.Axes = 0;
General.SmallAxes = 0;
General.Trackball = 0;
General.RotationX = -35;
General.RotationY = 0;
General.RotationZ = 0;
General.ScaleX = 1.15; General.ScaleY = 1.15; General.ScaleZ = 1.15;
General.Color.Background = {255, 255, 255};
General.Color.Foreground = {0, 0, 0};
General.BackgroundGradient = 0;
Mesh.ColorCarousel = 2;
Mesh.VolumeFaces = 1;
Mesh.VolumeEdges = 1;
Mesh.SurfaceFaces = 0;
Mesh.SurfaceEdges = 0;
Mesh.Nodes = 0;
Mesh.LineWidth = 0.5;
Print "model.png";
Exit;
